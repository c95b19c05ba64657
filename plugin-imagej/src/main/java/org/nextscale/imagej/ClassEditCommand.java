package org.nextscale.imagej;

import org.nextscale.core.api.EditMode;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** VAR Class Edit (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): regenerates the selected area as the chosen class, keeping the rest. */
@Plugin(type = Command.class, headless = true, label = "VAR Class Edit", description = "Regenerates the selected area as the chosen class, keeping the rest of the image")
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
