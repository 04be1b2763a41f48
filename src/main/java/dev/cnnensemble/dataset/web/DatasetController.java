package dev.cnnensemble.dataset.web;

import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.dataset.DatasetCatalog;
import dev.cnnensemble.dataset.DatasetSpec;
import dev.cnnensemble.dataset.DatasetStore;
import dev.cnnensemble.dataset.DatasetSummary;
import dev.cnnensemble.dataset.DatasetUploads;
import dev.cnnensemble.dataset.DatasetUploads.NewDataset;
import dev.cnnensemble.dataset.DatasetUploads.Source;
import dev.cnnensemble.dataset.Upload;
import dev.cnnensemble.dataset.upload.IdxParts;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.support.ProblemException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/datasets")
@Tag(name = "Datasets", description = "The datasets the service can train on: the built-ins and users' own uploads")
class DatasetController {

    private static final String UPLOAD_DESCRIPTION = """
            Two forms, as multipart/form-data:
            - the IDX files, raw or gzipped: trainImages and trainLabels, and optionally testImages and testLabels \
            (images [N,28,28] uint8, labels uint8). Try: curl -F name=digits -F trainImages=@train-images-idx3-ubyte.gz \
            -F trainLabels=@train-labels-idx1-ubyte.gz localhost:8080/datasets
            - archive: a zip of PNG or JPEG images, one folder per class (train/<class>/... and test/<class>/... \
            when it has its own test set). Images are 28x28 white on black, or of any size with preprocess=mnist, \
            which prepares them exactly as /predict does.

            Without test data, testSplit of each class (default 0.1) is held out for testing, by a seeded shuffle. \
            The upload is checked whole before anything is stored: 2 to 100 classes, labels in range, enough images \
            per class, sizes and counts within the limits, no zip entry outside its folder. It is stored as four IDX \
            files with their SHA-256 on the data volume, where every replica finds it.""";

    private static final String PROBLEM = "application/problem+json";

    /** What is done to an uploaded image before it is stored. */
    enum Preprocess { NONE, MNIST }

    enum Split { TRAIN, TEST }

    /**
     * A dataset, what it holds once its files are on disk, and a few of its images.
     *
     * @param createdAt when it was uploaded; null for a built-in
     * @param contents  null while its files are not on this volume
     */
    record DatasetView(
            @Schema(example = "fashion-mnist") String name,
            @Schema(example = "Zalando article images, 60,000 training and 10,000 test images") String description,
            @Schema(description = "Built in, or uploaded by a user (only those can be deleted)") boolean builtIn,
            @Schema(description = "The name of each label, by label: what a prediction's className says", example = """
                    ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]""")
            List<String> classNames,
            @Schema(description = "Whether its files are in the data directory (their checksums are checked when loaded)") boolean onDisk,
            List<DatasetSpec.DataFile> files,
            @Nullable Instant createdAt,
            @Nullable Contents contents) {
    }

    /**
     * @param bytes   its four files on the volume
     * @param samples the first training image of each class
     */
    record Contents(DatasetSummary.Split train, DatasetSummary.Split test, long bytes, List<Sample> samples) {
    }

    /** @param image a 28x28 PNG of it */
    record Sample(int label, String className, @Schema(example = "/datasets/mnist/images/train/1") URI image) {
    }

    private final DatasetCatalog catalog;
    private final DatasetStore store;
    private final DatasetUploads uploads;

    DatasetController(DatasetCatalog catalog, DatasetStore store, DatasetUploads uploads) {
        this.catalog = catalog;
        this.store = store;
        this.uploads = uploads;
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "List the datasets",
            description = "Each with its classes, its files' SHA-256, whether they are on disk, its image counts by split and class, and sample images.")
    List<DatasetView> list() {
        return Stream.concat(catalog.builtIns().stream().map(spec -> view(spec, null)),
                catalog.uploads().stream().map(upload -> view(upload.spec(), upload.createdAt()))).toList();
    }

    @GetMapping("/{name}")
    @Operation(operationId = "getDataset", summary = "Describe one dataset")
    DatasetView get(@PathVariable String name) {
        return catalog.upload(name).map(upload -> view(upload.spec(), upload.createdAt())).orElseGet(() -> view(catalog.get(name), null));
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "uploadDataset", summary = "Upload a dataset: IDX files, or a zip of image folders", description = UPLOAD_DESCRIPTION)
    @ApiResponse(responseCode = "201", description = "Stored; Location names it")
    @ApiResponse(responseCode = "400", description = "A field is missing or invalid, or both forms or neither were sent",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "A dataset of that name exists",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "More bytes or images than an upload may hold, or a zip that would inflate beyond the limit",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "The files cannot make a dataset; detail names the file or entry at fault",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class), examples = @ExampleObject(value = """
                    {"type": "about:blank", "title": "Dataset cannot be used", "status": 422, "instance": "/datasets",
                     "detail": "trainLabels: label out of range: label 12 at index 5 is outside 0..9"}""")))
    ResponseEntity<DatasetView> upload(
            @Parameter(description = "Lower-case letters, digits, '.', '_' and '-'; at most 64 characters", example = "letters")
            @RequestParam @Pattern(regexp = DatasetUploads.NAME_PATTERN) String name,
            @Parameter(description = "What it holds; a count of its images if absent")
            @RequestParam(required = false) @Size(max = 500) @Nullable String description,
            @Parameter(description = "The classes' names, label 0 first: repeat the field, or separate by commas. Absent: a zip's "
                    + "folder names in natural order, or 0..k-1 for IDX files. With names, a zip's folders may be names or indexes")
            @RequestParam(required = false) @Nullable List<String> classNames,
            @Parameter(description = "The share of each class held out for testing when no test data is sent",
                    schema = @Schema(type = "number", minimum = "0", exclusiveMinimum = true, maximum = "0.5", defaultValue = "0.1"))
            @RequestParam(required = false) @DecimalMin(value = "0", inclusive = false) @DecimalMax("0.5") @Nullable Double testSplit,
            @Parameter(description = "For a zip: mnist crops to the ink, fits 20x20 and centres by mass on 28x28; none: images must be 28x28",
                    schema = @Schema(allowableValues = {"none", "mnist"}, defaultValue = "none"))
            @RequestParam(required = false) @Nullable Preprocess preprocess,
            @Parameter(description = "For a zip: make images white on black; auto inverts images with a light border",
                    schema = @Schema(allowableValues = {"auto", "true", "false"}, defaultValue = "auto"))
            @RequestParam(required = false) @Nullable Invert invert,
            @Parameter(description = "IDX images [N,28,28], raw or gzipped") @RequestPart(required = false) @Nullable MultipartFile trainImages,
            @Parameter(description = "IDX labels [N], raw or gzipped") @RequestPart(required = false) @Nullable MultipartFile trainLabels,
            @Parameter(description = "IDX test images; with testLabels") @RequestPart(required = false) @Nullable MultipartFile testImages,
            @Parameter(description = "IDX test labels; with testImages") @RequestPart(required = false) @Nullable MultipartFile testLabels,
            @Parameter(description = "A zip of images, one folder per class") @RequestPart(required = false) @Nullable MultipartFile archive) {
        boolean idx = trainImages != null || trainLabels != null || testImages != null || testLabels != null;
        if (idx == (archive != null)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "Invalid dataset upload", idx
                    ? "send the IDX parts (trainImages, trainLabels, ...) or an archive, not both"
                    : "send the IDX parts trainImages and trainLabels (and optionally testImages and testLabels), or a zip in the part archive");
        }
        if (idx && (trainImages == null || trainLabels == null)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "Invalid dataset upload",
                    "the IDX form needs both trainImages and trainLabels; " + (trainImages == null ? "trainImages" : "trainLabels") + " is missing");
        }
        if (idx && (preprocess != null || invert != null)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "Invalid dataset upload",
                    "preprocess and invert apply to the images of an archive; IDX files are stored as they are");
        }
        NewDataset request = new NewDataset(name, description, classNames, testSplit);
        Upload upload = archive != null
                ? fromZip(request, archive, preprocess == Preprocess.MNIST, invert == null ? Invert.AUTO : invert)
                : uploads.create(request, new Source.Idx(new IdxParts(part("trainImages", trainImages), part("trainLabels", trainLabels),
                        testImages == null ? null : part("testImages", testImages), testLabels == null ? null : part("testLabels", testLabels))));
        return ResponseEntity.created(URI.create("/datasets/" + name)).body(view(upload.spec(), upload.createdAt()));
    }

    @DeleteMapping("/{name}")
    @Operation(operationId = "deleteDataset", summary = "Delete an uploaded dataset and its files",
            description = "Refused with 409 while a job or a model uses it, and for the built-ins.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "Built in, or used by a job or a model; detail names them",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable String name) {
        uploads.delete(name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{name}/images/{split}/{index}", produces = MediaType.IMAGE_PNG_VALUE)
    @Operation(operationId = "getDatasetImage", summary = "One image of a dataset, as a 28x28 PNG")
    @ApiResponse(responseCode = "200", description = "The image as stored, white on black",
            content = @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No such dataset, split or index, or its files are not on disk",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<byte[]> image(@PathVariable String name,
                                 @Parameter(schema = @Schema(allowableValues = {"train", "test"})) @PathVariable Split split,
                                 @PathVariable @Min(0) int index) {
        DatasetSpec spec = catalog.get(name);
        DatasetSummary summary = store.summary(spec).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "Dataset not on disk",
                "the files of dataset '" + name + "' are not on this volume yet; a job on it fetches them"));
        int images = (split == Split.TEST ? summary.test() : summary.train()).images();
        if (index >= images) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "No such image",
                    "the " + split.name().toLowerCase() + " split of '" + name + "' has " + images + " images, 0.." + (images - 1));
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png(store.pixels(spec, split == Split.TEST, index)));
    }

    /** @param createdAt null for a built-in */
    private DatasetView view(DatasetSpec spec, @Nullable Instant createdAt) {
        Optional<DatasetSummary> summary = store.summary(spec);
        return new DatasetView(spec.name(), spec.description(), spec.builtIn(), spec.classNames(), summary.isPresent(), spec.files(), createdAt,
                summary.map(s -> contents(spec, s)).orElse(null));
    }

    private static Contents contents(DatasetSpec spec, DatasetSummary summary) {
        List<Sample> samples = new ArrayList<>();
        for (int index : summary.samples()) {
            // The first image of each class, in class order; its label is its class.
            int label = samples.size();
            samples.add(new Sample(label, spec.classNames().get(label), URI.create("/datasets/" + spec.name() + "/images/train/" + index)));
        }
        return new Contents(summary.train(), summary.test(), summary.bytes(), samples);
    }

    private Upload fromZip(NewDataset request, MultipartFile archive, boolean preprocessMnist, Invert invert) {
        // On disk, so that the zip's central directory is read before any entry is inflated.
        Path file = null;
        try {
            file = Files.createTempFile("dataset-upload-", ".zip");
            archive.transferTo(file);
            return uploads.create(request, new Source.Zip(file, preprocessMnist, invert));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // A temporary file; the OS cleans its temporary folder.
                }
            }
        }
    }

    private static IdxParts.Part part(String name, MultipartFile file) {
        return new IdxParts.Part(name, file::getInputStream);
    }

    private static byte[] png(byte[] pixels) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, SIDE, SIDE, pixels);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }
}
