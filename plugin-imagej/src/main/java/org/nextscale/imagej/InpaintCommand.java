package org.nextscale.imagej;

import org.nextscale.core.api.EditMode;
import org.scijava.command.Command;
import org.scijava.plugin.Menu;
import org.scijava.plugin.Plugin;

/** Plugins > VAR > Inpaint: regenerates the selected area, keeping the rest of the image. */
@Plugin(type = Command.class, headless = true, label = "VAR Inpaint", description = "Regenerates the selected area, keeping the rest of the image",
        menu = {@Menu(label = "Plugins"), @Menu(label = "VAR"), @Menu(label = "Inpaint...", weight = 4)})
public class InpaintCommand extends EditCommand {

    @Override
    public String label() {
        return "VAR Inpaint";
    }

    @Override
    protected EditMode mode() {
        return EditMode.INPAINT;
    }

    @Override
    protected String done() {
        return "inpainted";
    }
}
