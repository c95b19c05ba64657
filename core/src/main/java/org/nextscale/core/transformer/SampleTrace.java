package org.nextscale.core.transformer;

import java.util.ArrayList;
import java.util.List;
import org.nextscale.core.io.HostTensor;

/**
 * What a sampling run did, scale by scale, as host copies (for parity checks and inspection). Pass one
 * to {@link Sampler} to have it filled; leave it null to skip the copies.
 */
public final class SampleTrace {
    /** Per scale: logits after classifier-free guidance, before top-k/top-p, (B, pn*pn, V). */
    public final List<HostTensor> logits = new ArrayList<>();
    /** Per scale: the tokens drawn from the model, (B, pn*pn) int64. */
    public final List<HostTensor> sampled = new ArrayList<>();
    /** Per scale: the tokens used, i.e. sampled ones merged with the edited image's kept ones, (B, pn*pn). */
    public final List<HostTensor> tokens = new ArrayList<>();
    /** Per scale when editing: the keep mask (B, pn*pn) int64, 1 = the image's token. */
    public final List<HostTensor> keep = new ArrayList<>();
    /** f_hat after the last scale, (B, Cvae, side, side). */
    public HostTensor fhat;
}
