// In-paints every image of a folder inside a mask and writes the results, same names, as PNG.
//   input=[folder of images]  mask=[mask image: non-zero pixels are regenerated, same size as the images]
//   output=[folder for the results]  model=[model .zip, empty = shipped]  class=-1  cfg=1.5  seed=0
// Headless batch:  xvfb-run -a java -jar ij.jar -ijpath <ImageJ folder> -batch inpaint_folder.ijm "input=[...] mask=[...] output=[...]"
// In Fiji: Plugins > Macros > Run..., or with arguments from another macro: runMacro(path, "input=[...] ...").

args = getArgument();
input = option(args, "input", "");
maskPath = option(args, "mask", "");
output = option(args, "output", "");
if (input == "" || maskPath == "" || output == "") exit("inpaint_folder: give input=[folder] mask=[mask image] output=[folder]");
model = option(args, "model", "");
cls = option(args, "class", "-1");
cfg = option(args, "cfg", "1.5");
seed = option(args, "seed", "0");

setBatchMode(true);
File.makeDirectory(output);
open(maskPath);
maskTitle = getTitle();
files = getFileList(input);
done = 0;
for (i = 0; i < files.length; i++) {
    if (File.isDirectory(input + File.separator + files[i])) continue;
    if (!isImageFile(files[i])) continue;
    open(input + File.separator + files[i]);
    source = getTitle();
    run("VAR Inpaint...", "model=[" + model + "] class=" + cls + " cfg=" + cfg + " seed=" + seed + " mask=[" + maskTitle + "] show_scales=no");
    saveAs("PNG", output + File.separator + baseName(files[i]) + ".png");
    close();
    selectImage(source);
    close();
    done++;
}
print("inpaint_folder: " + done + " image(s) written to " + output);

function option(text, key, dflt) {
    return call("ij.Macro.getValue", text + " ", key, dflt);
}

function isImageFile(name) {
    lower = toLowerCase(name);
    return endsWith(lower, ".png") || endsWith(lower, ".tif") || endsWith(lower, ".tiff") || endsWith(lower, ".jpg") || endsWith(lower, ".gif");
}

function baseName(name) {
    dot = lastIndexOf(name, ".");
    if (dot > 0) return substring(name, 0, dot);
    return name;
}
