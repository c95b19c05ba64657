package org.nextscale.core.api;

/**
 * Zero-shot editing modes. INPAINT regenerates the masked area unconditionally, OUTPAINT keeps the
 * masked area and regenerates the rest unconditionally, CLASS_EDIT regenerates the masked area
 * conditioned on a class.
 */
public enum EditMode { INPAINT, OUTPAINT, CLASS_EDIT }
