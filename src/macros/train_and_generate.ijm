// Trains a tokenizer and then a VAR transformer on a folder of images (one sub-folder per class) or on
// Fashion-MNIST, then generates count images of each of the first classes as a preview:
//   <output>/tokenizer.zip, <output>/model.zip, <output>/preview_class<c>.tif
//   data=[folder or fashion-mnist]  output=[folder]  steps=2000  tokenizer_steps=(steps)  batch=64
//   tokenizer_options=[more Train Tokenizer keys, e.g. vocab=512 flip=true]
//   var_options=[more Train keys, e.g. depth=6 width=192]  preview_classes=[0,1]  count=4
// Headless batch:  xvfb-run -a java -jar ij.jar -ijpath <ImageJ folder> -batch train_and_generate.ijm "data=[...] output=[...]"

args = getArgument();
data = option(args, "data", "fashion-mnist");
output = option(args, "output", "");
if (output == "") exit("train_and_generate: give output=[folder]");
steps = option(args, "steps", "2000");
tokSteps = option(args, "tokenizer_steps", steps);
batch = option(args, "batch", "64");
tokOptions = option(args, "tokenizer_options", "");
varOptions = option(args, "var_options", "");
previewClasses = split(option(args, "preview_classes", "0"), ",");
count = option(args, "count", "4");

setBatchMode(true);
File.makeDirectory(output);
tokenizer = output + File.separator + "tokenizer.zip";
model = output + File.separator + "model.zip";
run("VAR Train Tokenizer...", "data=[" + data + "] output=[" + tokenizer + "] steps=" + tokSteps + " batch=" + batch + " " + tokOptions);
run("VAR Train...", "data=[" + data + "] tokenizer=[" + tokenizer + "] output=[" + model + "] steps=" + steps + " batch=" + batch + " " + varOptions);
for (k = 0; k < previewClasses.length; k++) {
    cls = replace(previewClasses[k], " ", "");
    run("VAR Generate...", "model=[" + model + "] class=[" + cls + "] count=" + count + " seed=" + k);
    saveAs("Tiff", output + File.separator + "preview_class" + cls + ".tif");
    close();
}
print("train_and_generate: model written to " + model);

function option(text, key, dflt) {
    return call("ij.Macro.getValue", text + " ", key, dflt);
}
