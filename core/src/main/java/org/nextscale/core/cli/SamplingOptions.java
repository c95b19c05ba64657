package org.nextscale.core.cli;

import org.nextscale.core.api.SampleOptions;
import picocli.CommandLine.Option;

/** The sampling knobs of the subcommands that sample (generate, the edits, demo, eval); defaults from {@link SamplingDefaults}. */
final class SamplingOptions {
    @Option(names = "--cfg", descriptionKey = SamplingDefaults.CFG, description = "classifier-free guidance strength (default: ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--top-k", descriptionKey = SamplingDefaults.TOP_K, description = "sample among the k most likely tokens, 0 = all (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", descriptionKey = SamplingDefaults.TOP_P, description = "nucleus sampling mass, 0 or 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", descriptionKey = SamplingDefaults.SEED, description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--smooth", description = "Gumbel-smoothed token embeddings (the reference's more_smooth)")
    boolean smooth;

    SampleOptions sampling(int classId, int count) {
        return new SampleOptions(classId, count, cfg, topK, topP, seed, smooth);
    }
}
