package org.nextscale.imagej;

import org.nextscale.core.api.EditMode;
import org.scijava.command.Command;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Plugin;

/** Plugins > VAR > Outpaint: keeps the selected area and regenerates everything around it. */
@Plugin(type = Command.class, headless = true, label = "VAR Outpaint", description = "Keeps the selected area and regenerates everything around it",
        menu = {@Menu(label = "Plugins"), @Menu(label = "VAR"), @Menu(label = "Outpaint...", weight = 5)})
public class OutpaintCommand extends EditCommand {

    @Override
    public String label() {
        return "VAR Outpaint";
    }

    @Override
    protected EditMode mode() {
        return EditMode.OUTPAINT;
    }

    @Override
    protected String done() {
        return "outpainted";
    }
}
