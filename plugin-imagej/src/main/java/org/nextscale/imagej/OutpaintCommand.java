package org.nextscale.imagej;

import org.nextscale.core.api.EditMode;
import org.nextscale.core.api.Extension;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** VAR Outpaint (for scripts; the menu entry is the ImageJ 1.x bridge, ij1.Var*): keeps the selected area and regenerates everything around it. */
@Plugin(type = Command.class, headless = true, label = "VAR Outpaint", description = "Keeps the selected area and regenerates everything around it, or grows the canvas past the image's border (Grow canvas)")
public class OutpaintCommand extends EditCommand {

    @Parameter(persist = false, label = "Grow canvas", required = false, description = "Grow the canvas past the image's border and "
            + "generate the new pixels, e.g. left=64,right=64 (sides top, bottom, left, right) or one number for all four; "
            + "empty = keep the selection and regenerate around it")
    protected String extend = "";

    @Override
    protected Extension extension() {
        return Extension.parse(extend);
    }

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
