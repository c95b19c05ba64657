package org.nextscale.core.api;

/**
 * How an edit's regenerated pixels meet the kept ones. The model decodes the whole image from its tokens, so
 * next to the kept pixels (which come back bit for bit) the regenerated ones carry the tokenizer's
 * reconstruction error as a step at the selection's border, the seam users of the reference report.
 * <ul>
 *   <li>{@link #BLEND} (the default): the difference between the kept pixels and their decoded version is
 *       interpolated into the selection (a membrane fill, as in Poisson image editing) and added to the regenerated
 *       pixels in a feathered band along the border (all of it on the border pixels, half on the next ring), so the
 *       fill continues its border instead of stepping at it while its inside stays the model's.</li>
 *   <li>{@link #PLAIN}: the reference's teacher-forced edit, the decoded pixels pasted as they are.</li>
 * </ul>
 * docs/evaluation.md gives the seam scores of both.
 */
public enum SeamMode { BLEND, PLAIN }
