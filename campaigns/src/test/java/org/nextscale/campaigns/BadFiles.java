package org.nextscale.campaigns;

import static org.nextscale.core.model.ForgedFiles.forgedSafetensors;
import static org.nextscale.core.model.ForgedFiles.rewrite;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.nextscale.core.config.ConfigJson;
import org.nextscale.core.config.ModelConfig;
import org.nextscale.core.io.HostTensor;
import org.nextscale.core.io.SafeTensors;
import org.nextscale.core.model.ModelFile;

/** The bad (and borderline) files of the bad-input campaign, written once into a folder. */
final class BadFiles {
    final Path dir, model, tokenizerOnly, config;

    BadFiles(Path dir) throws IOException {
        this.dir = dir;
        Path parity = org.nextscale.core.TestPaths.parity("tiny-a");
        config = parity.resolve("config.json");
        ModelConfig cfg = ConfigJson.parse(Files.readString(config));
        Map<String, HostTensor> weights = SafeTensors.read(parity.resolve("weights.safetensors"));
        model = dir.resolve("tiny.zip");
        ModelFile.save(model, cfg, weights, false);
        Map<String, HostTensor> vae = new LinkedHashMap<>();
        weights.forEach((k, v) -> { if (k.startsWith("vae.")) vae.put(k, v); });
        tokenizerOnly = dir.resolve("tokenizer-only.zip");
        ModelFile.save(tokenizerOnly, ConfigJson.parse(Files.readString(config).replaceFirst("\"var\"\\s*:", "\"unused_var\":")), vae, false);

        byte[] modelBytes = Files.readAllBytes(model);
        Files.write(path("truncated.zip"), java.util.Arrays.copyOf(modelBytes, modelBytes.length / 2));
        Files.writeString(path("text.zip"), "this is a text file renamed to .zip\n");
        Files.write(path("empty.zip"), new byte[0]);
        rewrite(model, path("wrong-json.zip"), Map.of(ModelFile.CONFIG_ENTRY, "{\"image_size\": \"big\"}".getBytes(StandardCharsets.UTF_8)));
        rewrite(model, path("forged.zip"), Map.of(ModelFile.WEIGHTS_ENTRY, forgedSafetensors(400_000_000)));
        rewrite(model, path("slip.zip"), Map.of("../x", "escaped".getBytes(StandardCharsets.UTF_8)));
        hostilePth(path("hostile.pth"));

        BufferedImage ok = noise(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(ok, "png", path("ok.png").toFile());
        byte[] png = Files.readAllBytes(path("ok.png"));
        Files.write(path("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(path("text.png"), "not an image\n");
        Files.write(path("empty.png"), new byte[0]);
        ImageIO.write(noise(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", path("one.png").toFile());
        Files.write(path("huge.png"), forgedPngSize(path("one.png"), 30000, 30000));
        ImageIO.write(noise(28, 28, BufferedImage.TYPE_INT_ARGB), "png", path("rgba.png").toFile());
        ByteProcessor[] pages = {new ByteProcessor(28, 28), new ByteProcessor(28, 28), new ByteProcessor(28, 28)};
        ImageStack stack = new ImageStack(28, 28);
        for (ByteProcessor p : pages) stack.addSlice(p);
        new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(path("stack.tif").toString());
        FloatProcessor nan = new FloatProcessor(28, 28);
        nan.setf(3, 4, Float.NaN);
        new FileSaver(new ImagePlus("nan", nan)).saveAsTiff(path("nan.tif").toString());
        FloatProcessor fine = new FloatProcessor(28, 28);
        for (int i = 0; i < 28 * 28; i++) fine.setf(i, (i % 97) * 3.5f - 40f);
        new FileSaver(new ImagePlus("float", fine)).saveAsTiff(path("float.tif").toString());
        ij.process.ShortProcessor s16 = new ij.process.ShortProcessor(28, 28);
        for (int i = 0; i < 28 * 28; i++) s16.set(i, (i * 83) & 0xffff);
        new FileSaver(new ImagePlus("s16", s16)).saveAsTiff(path("gray16.tif").toString());

        ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png", path("mask-small.png").toFile());
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", path("mask-empty.png").toFile());
        BufferedImage full = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) full.getRaster().setSample(x, y, 0, 255);
        ImageIO.write(full, "png", path("mask-full.png").toFile());

        Files.createDirectories(path("data-empty"));
        Files.createDirectories(path("data-text/shirts"));
        Files.writeString(path("data-text/shirts/a.png"), "not an image\n");
        Files.writeString(path("data-text/shirts/b.png"), "not an image either\n");

        // own images: a large one beside one smaller than a 32 px patch; a damaged TIFF stack; only dark background
        Files.createDirectories(path("data-small"));
        ImageIO.write(noise(200, 160, BufferedImage.TYPE_BYTE_GRAY), "png", path("data-small/large.png").toFile());
        ImageIO.write(noise(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png", path("data-small/tiny.png").toFile());
        Files.createDirectories(path("data-damaged"));
        ImageIO.write(noise(200, 160, BufferedImage.TYPE_BYTE_GRAY), "tiff", path("data-damaged/a.tif").toFile());
        byte[] tif = Files.readAllBytes(path("data-damaged/a.tif"));
        Files.write(path("data-damaged/a.tif"), java.util.Arrays.copyOf(tif, tif.length / 3));
        Files.createDirectories(path("data-dark"));
        ImageIO.write(new BufferedImage(200, 160, BufferedImage.TYPE_BYTE_GRAY), "png", path("data-dark/a.png").toFile());
        ImageIO.write(new BufferedImage(180, 150, BufferedImage.TYPE_BYTE_GRAY), "png", path("data-dark/b.png").toFile());
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    String p(String name) {
        return path(name).toString();
    }

    static Path repo() {
        String p = System.getProperty("nextscale.repo");
        return (p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent()).toAbsolutePath().normalize();
    }

    static BufferedImage noise(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        java.util.Random r = new java.util.Random(w * 31L + h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt() | (type == BufferedImage.TYPE_INT_ARGB ? 0 : 0xff000000));
        return img;
    }

    /** A PNG whose header says w x h (CRC fixed, so only the size is a lie). */
    static byte[] forgedPngSize(Path png, int w, int h) throws IOException {
        byte[] b = Files.readAllBytes(png);
        ByteBuffer bb = ByteBuffer.wrap(b);
        bb.putInt(16, w).putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        bb.putInt(29, (int) crc.getValue());
        return b;
    }

    /** torch.save's layout with a pickle that is os.system("touch pwned") through GLOBAL + REDUCE. */
    void hostilePth(Path file) throws IOException {
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.write(0x80);
        pkl.write(2);
        pkl.writeBytes("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + dir.resolve("pwned")).getBytes(StandardCharsets.UTF_8);
        pkl.write('X');
        pkl.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(cmd.length).array());
        pkl.writeBytes(cmd);
        pkl.write(0x85);
        pkl.write('R');
        pkl.write('.');
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pkl.toByteArray());
            zip.closeEntry();
        }
    }
}
