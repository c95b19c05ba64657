// Tokenizes every image of a folder: writes <output>/<name>_tokens.csv (one row per token: Scale,
// Side, Y, X, Token; an image larger than the model has one row per token of every tile, with Tile_Row,
// Tile_Col, Tile_X, Tile_Y, Tile_Width, Tile_Height first), <output>/<name>_tokens.tif (one token-map slice
// per scale, pixel values = token ids), <output>/<name>_scales.tif (the image decoded after each scale, coarse to fine; images in
// one tile) and the reconstruction <output>/<name>_reconstructed.png; the reconstruction PSNR of each image goes to the Log.
//   input=[folder of images]  output=[folder]  model=[model .zip, empty = shipped]
// Headless batch:  xvfb-run -a java -jar ij.jar -ijpath <ImageJ folder> -batch tokenize_folder.ijm "input=[...] output=[...]"

args = getArgument();
input = option(args, "input", "");
output = option(args, "output", "");
if (input == "" || output == "") exit("tokenize_folder: give input=[folder] output=[folder]");
model = option(args, "model", "");

setBatchMode(true);
File.makeDirectory(output);
files = getFileList(input);
done = 0;
for (i = 0; i < files.length; i++) {
    if (File.isDirectory(input + File.separator + files[i])) continue;
    open(input + File.separator + files[i]);
    source = getTitle();
    name = File.nameWithoutExtension;
    run("VAR Tokenize...", "model=[" + model + "]");
    saveAs("Tiff", output + File.separator + name + "_tokens.tif");
    close();
    Table.save(output + File.separator + name + "_tokens.csv", "Tokens of " + source);   // the command's own table
    close("Tokens of " + source);
    if (isOpen(source + " coarse to fine")) {          // the image after each scale, one slice per scale (an image in one tile)
        selectImage(source + " coarse to fine");
        saveAs("Tiff", output + File.separator + name + "_scales.tif");
        close();
    }
    selectImage(source);
    run("VAR Reconstruct...", "model=[" + model + "]");
    print("tokenize_folder: " + source + " reconstructed, PSNR " + Property.get("psnr_db") + " dB");
    saveAs("PNG", output + File.separator + name + "_reconstructed.png");
    close();
    selectImage(source);
    close();
    done++;
}
print("tokenize_folder: " + done + " image(s) done, results in " + output);

function option(text, key, dflt) {
    return call("ij.Macro.getValue", text + " ", key, dflt);
}
