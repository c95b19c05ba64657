// Generates count images for each class and writes them as PNG: <output>/class<c>_<n>.png.
//   output=[folder]  classes=[0,1,2 or names, empty = every class of the model: give num_classes]
//   count=4  model=[model .zip, empty = shipped]  cfg=1.5  seed=0  num_classes=10
// Headless batch:  xvfb-run -a java -jar ij.jar -ijpath <ImageJ folder> -batch generate_per_class.ijm "output=[...] classes=[0,1] count=4"

args = getArgument();
output = option(args, "output", "");
if (output == "") exit("generate_per_class: give output=[folder]");
model = option(args, "model", "");
count = option(args, "count", "4");
cfg = option(args, "cfg", "1.5");
seed = option(args, "seed", "0");
classList = option(args, "classes", "");
if (classList == "") {
    n = parseInt(option(args, "num_classes", "10"));
    classList = "0";
    for (c = 1; c < n; c++) classList = classList + "," + c;
}
classes = split(classList, ",");

setBatchMode(true);
File.makeDirectory(output);
written = 0;
for (k = 0; k < classes.length; k++) {
    cls = replace(classes[k], " ", "");
    run("VAR Generate...", "model=[" + model + "] class=[" + cls + "] count=" + count + " cfg=" + cfg + " seed=" + seed + " show_scales=no");
    stack = getTitle();
    for (s = 1; s <= nSlices; s++) {
        selectImage(stack);
        setSlice(s);
        run("Duplicate...", "title=one");
        saveAs("PNG", output + File.separator + "class" + cls + "_" + s + ".png");
        close();
        written++;
    }
    selectImage(stack);
    close();
}
print("generate_per_class: " + written + " image(s) written to " + output);

function option(text, key, dflt) {
    return call("ij.Macro.getValue", text + " ", key, dflt);
}
