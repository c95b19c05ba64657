package org.nextscale.imagej;

import org.nextscale.core.api.EditMode;
import org.scijava.command.Command;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Plugin;

/** Plugins > VAR > Class Edit: regenerates the selected area as the chosen class, keeping the rest. */
@Plugin(type = Command.class, headless = true, label = "VAR Class Edit", description = "Regenerates the selected area as the chosen class, keeping the rest",
        menu = {@Menu(label = "Plugins"), @Menu(label = "VAR"), @Menu(label = "Class Edit...", weight = 6)})
public class ClassEditCommand extends EditCommand {

    /** A class edit needs a class: the model's first, unless one is chosen. */
    public ClassEditCommand() {
        classId = "0";
    }

    @Override
    public String label() {
        return "VAR Class Edit";
    }

    @Override
    protected EditMode mode() {
        return EditMode.CLASS_EDIT;
    }

    @Override
    protected String done() {
        return "class-edited";
    }
}
