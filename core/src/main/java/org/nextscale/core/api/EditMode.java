package org.nextscale.core.api;

/**
 * Zero-shot editing modes. INPAINT regenerates the selection and keeps the rest; OUTPAINT keeps the
 * selection and regenerates the rest; CLASS_EDIT regenerates the selection and requires a class. The
 * class comes from {@link SampleOptions#classId()}: -1 conditions on the unconditional class (the
 * reference's in-painting), any other value on that class.
 */
public enum EditMode { INPAINT, OUTPAINT, CLASS_EDIT }
