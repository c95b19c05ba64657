package org.nextscale.jupyter;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PowerLawTest {

    @Test
    void recoversAnExactLaw() {
        double[] n = {1e4, 3e4, 1e5, 1e6};
        double[] loss = new double[n.length];
        for (int i = 0; i < n.length; i++) loss[i] = 7.5 * Math.pow(n[i], -0.15);
        PowerLaw f = PowerLaw.fit(n, loss);
        assertEquals(7.5, f.a(), 1e-9);
        assertEquals(-0.15, f.b(), 1e-12);
        assertEquals(1.0, f.r2(), 1e-12);
        assertEquals(7.5 * Math.pow(2e5, -0.15), f.predict(2e5), 1e-9);
        assertEquals("loss = 7.50 * N^-0.150  (R^2 = 1.000)", f.toString());
    }

    @Test
    void noisyPointsGiveRSquaredBelowOne() {
        PowerLaw f = PowerLaw.fit(new double[] {10, 100, 1000}, new double[] {2.0, 1.2, 1.1});
        assertTrue(f.b() < 0);
        assertTrue(f.r2() < 1 && f.r2() > 0.5, "R^2 " + f.r2());
    }

    @Test
    void pearsonIsTheCorrelationOfTheLogs() {
        double[] n = {3.5e4, 1.3e5, 4.1e5, 9.6e5, 3.9e6};
        double[] loss = {5.1, 4.6, 4.7, 4.2, 4.0};
        double[] x = new double[n.length], y = new double[n.length];
        double mx = 0, my = 0;
        for (int i = 0; i < n.length; i++) {
            x[i] = Math.log(n[i]);
            y[i] = Math.log(loss[i]);
            mx += x[i] / n.length;
            my += y[i] / n.length;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        PowerLaw f = PowerLaw.fit(n, loss);
        assertEquals(sxy / Math.sqrt(sxx * syy), f.pearson(), 1e-12);
        assertTrue(f.pearson() < -0.9 && f.pearson() > -1, "pearson " + f.pearson());
        assertEquals(-1.0, PowerLaw.fit(new double[] {10, 100, 1000}, new double[] {3, 2, 1.5}).pearson() , 0.05);
        assertEquals(1.0, PowerLaw.fit(new double[] {10, 100}, new double[] {1, 2}).pearson(), 1e-12, "rising loss: +1");
        assertEquals(0.0, PowerLaw.fit(new double[] {10, 100}, new double[] {2, 2}).pearson(), 0, "flat loss: 0");
    }

    @Test
    void rejectsWhatCannotBeFitted() {
        assertEquals("a power law needs at least two points, got 1",
                assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1}, new double[] {1})).getMessage());
        assertEquals("a power law needs at least two different sizes",
                assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {5, 5}, new double[] {1, 2})).getMessage());
        assertEquals("sizes and losses must be positive, got N=10.0 loss=0.0",
                assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, 10}, new double[] {1, 0})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, 10}, new double[] {1}));
    }

    @Test
    void plotsPointsAndLine() {
        double[] n = {1e4, 1e5, 1e6};
        double[] loss = {3.0, 2.2, 1.6};
        BufferedImage img = Pictures.powerLaw("scaling", n, loss, PowerLaw.fit(n, loss));
        assertEquals(480, img.getWidth());
        int blue = 0, red = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xFFFFFF;
                if (c == 0x1F77B4) blue++;
                if (c == 0xD62728) red++;
            }
        assertTrue(blue > 3 * 40, "three points drawn: " + blue + " blue pixels");
        assertTrue(red > 100, "fit line drawn: " + red + " red pixels");
    }
}
