package org.nextscale.core.api;

import java.util.List;

/** The token maps of one image: for scale k a side {@code sides.get(k)} and row-major token ids. */
public record TokenPyramid(List<Integer> sides, List<int[]> tokens) {
    public int numScales() {
        return sides.size();
    }
}
