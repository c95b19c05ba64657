package org.nextscale.imagej;

import org.nextscale.core.api.EditMode;
import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** VAR Inpaint (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): regenerates the selected area, keeping the rest of the image. */
@Plugin(type = Command.class, headless = true, label = "VAR Inpaint", description = "Regenerates the selected area (or a mask image's non-zero pixels), keeping the rest of the image")
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
