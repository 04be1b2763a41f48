package dev.cnnensemble.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.dataset.upload.UploadFixtures;
import dev.cnnensemble.imaging.Images;
import dev.cnnensemble.support.JobApi;
import dev.cnnensemble.support.Multipart;
import dev.cnnensemble.support.PredictApi;
import dev.cnnensemble.support.PredictApi.Reply;
import dev.cnnensemble.support.TestApiKeys;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Users' own datasets over real HTTP, made of real MNIST images: uploaded as IDX files and as a zip of
 * PNG folders, trained on, predicted with their class names, refused when hostile, and deleted.
 */
@RequiresMnist
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {TestApiKeys.PROPERTY,
        // Small enough that the zip bomb below stays small on the wire and in the test's memory.
        "cnn.datasets.uploads.max-uncompressed-size=20MB"})
class DatasetsEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path DATA_DIR = RealData.freshDataDir();
    /** Staging folders as a crash two hours ago and an upload on another replica right now leave them. */
    private static final Path CRASHED = staging(".upload-crashed", Duration.ofHours(2));
    private static final Path IN_PROGRESS = staging(".upload-in-progress", Duration.ZERO);
    private static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    private static final LabeledImages TRAIN = RealData.mnist().train().first(1000);
    private static final LabeledImages TEST = RealData.mnist().test().first(200);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        RealData.register(registry, DATA_DIR);
    }

    @Value("${local.server.port}")
    int port;

    JobApi jobs;
    PredictApi http;

    @BeforeEach
    void clients() {
        jobs = JobApi.at(port);
        http = new PredictApi(port, TestApiKeys.ADMIN);
    }

    @Test
    void idxFilesAndTheSameImagesAsAZipOfPngFoldersStoreTheSameFilesAndTrainTheSameModel() throws IOException {
        Reply idx = upload(idxForm("digits-idx", TRAIN, TEST).field("classNames", String.join(",", NAMES)));
        Multipart zipForm = new Multipart().field("name", "digits-zip");
        NAMES.forEach(name -> zipForm.field("classNames", name));
        Reply zip = upload(zipForm.file("archive", "digits.zip", "application/zip", UploadFixtures.zip(UploadFixtures.mnistPng("", TRAIN, TEST, NAMES))));

        assertThat(idx.status()).as("%s", idx.body()).isEqualTo(201);
        assertThat(zip.status()).as("%s", zip.body()).isEqualTo(201);
        JsonNode stored = jobs.get("/datasets/digits-zip");
        assertThat(stored.get("builtIn").asBoolean()).isFalse();
        assertThat(stored.get("onDisk").asBoolean()).isTrue();
        assertThat(stored.get("createdAt").isNull()).isFalse();
        assertThat(stored.get("classNames").valueStream().map(JsonNode::asString)).containsExactlyElementsOf(NAMES);
        assertThat(stored.at("/contents/train/images").asInt()).isEqualTo(1000);
        assertThat(stored.at("/contents/test/images").asInt()).isEqualTo(200);
        assertThat(stored.at("/contents/train/perClass").valueStream().map(JsonNode::asInt)).containsExactlyElementsOf(counts(TRAIN));
        assertThat(sha256s(stored)).hasSize(4).isEqualTo(sha256s(jobs.get("/datasets/digits-idx")));
        for (String file : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            assertThat(DATA_DIR.resolve("datasets/digits-zip/" + file)).isRegularFile();
        }

        // A sample is the first training image of its class, served as the PNG of its stored pixels.
        JsonNode seven = stored.at("/contents/samples/7");
        assertThat(seven.get("className").asString()).isEqualTo("seven");
        int index = Integer.parseInt(seven.get("image").asString().replaceAll(".*/", ""));
        assertThat(TRAIN.label(index)).isEqualTo(7);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(jobs.http().get().uri(seven.get("image").asString()).retrieve().body(byte[].class)));
        assertThat(png.getWidth()).isEqualTo(28);
        assertThat(png.getRaster().getPixels(0, 0, 28, 28, (int[]) null)).isEqualTo(Images.gray(TRAIN, index));

        String fromIdx = train("digits-idx");
        String fromZip = train("digits-zip");
        JsonNode idxJob = jobs.awaitJob(fromIdx, Duration.ofMinutes(5), DatasetsEndToEndTest::succeeded);
        JsonNode zipJob = jobs.awaitJob(fromZip, Duration.ofMinutes(5), DatasetsEndToEndTest::succeeded);
        assertThat(zipJob.at("/history/0/ensemble/testAccuracy").asDouble())
                .isEqualTo(idxJob.at("/history/0/ensemble/testAccuracy").asDouble())
                .isGreaterThan(0.5);
        // Equal up to float rounding: the two jobs train side by side, and a worker's thread count orders its sums.
        assertThat(zipJob.at("/history/0/members/0/loss").asDouble()).isCloseTo(idxJob.at("/history/0/members/0/loss").asDouble(), within(1e-6));

        JsonNode model = jobs.get("/models/" + fromZip);
        assertThat(model.get("dataset").asString()).isEqualTo("digits-zip");
        assertThat(model.get("classNames").valueStream().map(JsonNode::asString)).containsExactlyElementsOf(NAMES);
        List<JsonNode> idxPredictions = predict(fromIdx, TEST, 20);
        List<JsonNode> zipPredictions = predict(fromZip, TEST, 20);
        for (int i = 0; i < 20; i++) {
            JsonNode prediction = zipPredictions.get(i);
            assertThat(prediction.get("className").asString()).isEqualTo(NAMES.get(prediction.get("label").asInt()));
            assertThat(prediction.get("label")).isEqualTo(idxPredictions.get(i).get("label"));
            for (int k = 0; k < NAMES.size(); k++) {
                assertThat(prediction.at("/logits/" + k).asDouble()).isCloseTo(idxPredictions.get(i).at("/logits/" + k).asDouble(), within(1e-4));
            }
        }
        assertThat(zipPredictions).filteredOn(p -> p.get("label").asInt() == TEST.label(p.get("index").asInt())).hasSizeGreaterThan(10);

        // In use by a job and its model: refused; once they are gone, deleted with its files.
        Reply inUse = delete("/datasets/digits-zip");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.body().get("detail").asString()).contains(fromZip);
        assertThat(delete("/jobs/" + fromZip).status()).isEqualTo(204);
        assertThat(delete("/datasets/digits-zip").status()).isEqualTo(204);
        assertThat(DATA_DIR.resolve("datasets/digits-zip")).doesNotExist();
        int gone = jobs.http().get().uri("/datasets/digits-zip").exchange((request, response) -> response.getStatusCode().value());
        assertThat(gone).isEqualTo(404);
    }

    @Test
    void aDatasetOfFiveClassesTrainsANetworkWithFiveOutputs() {
        LabeledImages train = onlyLabelsBelow(5, RealData.mnist().train().first(2000));
        LabeledImages test = onlyLabelsBelow(5, RealData.mnist().test().first(400));
        // No test files: the test set is split off the training images.
        Reply created = upload(new Multipart().field("name", "five-digits").field("testSplit", "0.2")
                .file("trainImages", "images.gz", "application/gzip", UploadFixtures.gzip(IdxWriter.images(train)))
                .file("trainLabels", "labels", "application/octet-stream", IdxWriter.labels(train)));

        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.body().get("classNames").valueStream().map(JsonNode::asString)).containsExactly("0", "1", "2", "3", "4");
        assertThat(created.body().at("/contents/test/images").asInt() + created.body().at("/contents/train/images").asInt()).isEqualTo(train.size());
        String id = train("five-digits");
        jobs.awaitJob(id, Duration.ofMinutes(5), DatasetsEndToEndTest::succeeded);
        List<JsonNode> predictions = predict(id, test, 10);
        assertThat(predictions).allSatisfy(p -> {
            assertThat(p.get("probabilities")).hasSize(5);
            assertThat(p.get("logits")).hasSize(5);
        });
    }

    /** Each hostile upload is refused with a problem detail, stores nothing, and a valid upload still works after it. */
    @Test
    void hostileUploadsAreRefusedAndEachIsFollowedByAValidOne() {
        LabeledImages real = RealData.mnist().train().first(300);
        Map<String, byte[]> images = UploadFixtures.mnistPng("", RealData.mnist().train().first(300), RealData.mnist().test().first(50), List.of());
        Map<String, byte[]> bomb = new LinkedHashMap<>(images);
        bomb.put("training/1/zeros.png", new byte[30 * 1024 * 1024]);
        Map<String, byte[]> traversal = new LinkedHashMap<>(images);
        traversal.put("training/1/../../../../escaped.png", images.values().iterator().next());
        byte[] outOfRange = IdxWriter.labels(real).clone();
        outOfRange[8 + 5] = 12;
        byte[] oneClass = IdxWriter.labels(real).clone();
        Arrays.fill(oneClass, 8, oneClass.length, (byte) 0);

        Map<String, Hostile> corpus = new LinkedHashMap<>();
        corpus.put("a zip bomb", new Hostile(413, "zip bomb", form -> form.file("archive", "bomb.zip", "application/zip", UploadFixtures.zip(bomb))));
        corpus.put("a traversal entry", new Hostile(422, "escaped.png", form -> form.file("archive", "x.zip", "application/zip", UploadFixtures.zip(traversal))));
        corpus.put("a truncated IDX file", new Hostile(422, "truncated", form -> form
                .file("trainImages", "i", "application/octet-stream", Arrays.copyOf(IdxWriter.images(real), IdxWriter.images(real).length - 100))
                .file("trainLabels", "l", "application/octet-stream", IdxWriter.labels(real))));
        corpus.put("mismatched counts", new Hostile(422, "mismatched counts", form -> form
                .file("trainImages", "i", "application/octet-stream", IdxWriter.images(real))
                .file("trainLabels", "l", "application/octet-stream", IdxWriter.labels(RealData.mnist().train().first(299)))));
        corpus.put("a label out of range", new Hostile(422, "label out of range: label 12", form -> form.field("classNames", String.join(",", NAMES))
                .file("trainImages", "i", "application/octet-stream", IdxWriter.images(real))
                .file("trainLabels", "l", "application/octet-stream", outOfRange)));
        corpus.put("one class only", new Hostile(422, "one class only", form -> form
                .file("trainImages", "i", "application/octet-stream", IdxWriter.images(real))
                .file("trainLabels", "l", "application/octet-stream", oneClass)));
        corpus.put("both forms", new Hostile(400, "not both", form -> form
                .file("trainImages", "i", "application/octet-stream", IdxWriter.images(real))
                .file("trainLabels", "l", "application/octet-stream", IdxWriter.labels(real))
                .file("archive", "x.zip", "application/zip", UploadFixtures.zip(images))));
        corpus.put("no files", new Hostile(400, "archive", form -> form.field("description", "nothing")));
        corpus.put("labels without images", new Hostile(400, "trainImages is missing", form -> form
                .file("trainLabels", "l", "application/octet-stream", IdxWriter.labels(real))));

        int valid = 0;
        for (Map.Entry<String, Hostile> hostile : corpus.entrySet()) {
            Multipart form = new Multipart().field("name", "hostile");
            hostile.getValue().parts().accept(form);
            Reply refused = upload(form);
            assertThat(refused.status()).as("%s: %s", hostile.getKey(), refused.body()).isEqualTo(hostile.getValue().status());
            assertThat(refused.contentType()).as(hostile.getKey()).isEqualTo("application/problem+json");
            assertThat(refused.body().get("detail").asString()).as(hostile.getKey()).contains(hostile.getValue().detail());
            assertThat(DATA_DIR.resolve("datasets/hostile")).as(hostile.getKey()).doesNotExist();

            String name = "valid-" + valid++;
            Reply accepted = upload(idxUpload(name, real));
            assertThat(accepted.status()).as("after %s: %s", hostile.getKey(), accepted.body()).isEqualTo(201);
            assertThat(delete("/datasets/" + name).status()).isEqualTo(204);
        }
        assertThat(DATA_DIR.resolve("escaped.png")).doesNotExist();
        assertThat(DATA_DIR.resolve("datasets")).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith(".upload-")
                && !path.equals(IN_PROGRESS));
    }

    @Test
    void namesAreCheckedAndBuiltInsStay() {
        LabeledImages real = RealData.mnist().train().first(300);
        Reply first = upload(idxUpload("twice", real));
        Reply second = upload(idxUpload("twice", real));
        Reply builtIn = upload(idxUpload("mnist", real));
        Reply badName = upload(idxUpload("../Evil", real));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().get("detail").asString()).contains("'twice' exists already");
        assertThat(builtIn.status()).isEqualTo(409);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body().toString()).contains("name");
        Reply deleteBuiltIn = delete("/datasets/mnist");
        assertThat(deleteBuiltIn.status()).isEqualTo(409);
        assertThat(deleteBuiltIn.body().get("detail").asString()).contains("built in");
        assertThat(delete("/datasets/nowhere").status()).isEqualTo(404);
        assertThat(delete("/datasets/twice").status()).isEqualTo(204);
    }

    @Test
    void aStagingFolderAbandonedByACrashIsRemovedAtStartAndAFreshOneIsLeft() {
        assertThat(CRASHED).doesNotExist();
        assertThat(IN_PROGRESS).isDirectory();
    }

    private record Hostile(int status, String detail, Consumer<Multipart> parts) {
    }

    private Reply upload(Multipart form) {
        return http.send("/datasets", form.contentType(), form.bytes());
    }

    private Reply delete(String path) {
        return jobs.http().delete().uri(path).exchange((request, response) -> {
            byte[] body = response.getBody().readAllBytes();
            return new Reply(response.getStatusCode().value(), null, String.valueOf(response.getHeaders().getContentType()),
                    body.length == 0 ? null : JSON.readTree(body));
        });
    }

    /** The two training parts alone, raw: the test set is split off. */
    private static Multipart idxUpload(String name, LabeledImages images) {
        return new Multipart().field("name", name)
                .file("trainImages", "i", "application/octet-stream", IdxWriter.images(images))
                .file("trainLabels", "l", "application/octet-stream", IdxWriter.labels(images));
    }

    private Multipart idxForm(String name, LabeledImages train, LabeledImages test) {
        return new Multipart().field("name", name)
                // Raw and gzipped side by side: each part is told by its magic, not its name.
                .file("trainImages", "train-images-idx3-ubyte.gz", "application/gzip", UploadFixtures.gzip(IdxWriter.images(train)))
                .file("trainLabels", "train-labels-idx1-ubyte", "application/octet-stream", IdxWriter.labels(train))
                .file("testImages", "t10k-images-idx3-ubyte", "application/octet-stream", IdxWriter.images(test))
                .file("testLabels", "t10k-labels-idx1-ubyte.gz", "application/gzip", UploadFixtures.gzip(IdxWriter.labels(test)));
    }

    /** One member, one epoch, one seed: two identical datasets must give identical models. */
    private String train(String dataset) {
        return jobs.post("/jobs", """
                {"name": "%s", "dataset": "%s", "ensembleSize": 1, "epochs": 1, "seed": "7"}""".formatted(dataset, dataset)).get("id").asString();
    }

    private List<JsonNode> predict(String model, LabeledImages images, int count) {
        String pixels = IntStream.range(0, count).mapToObj(i -> Arrays.toString(Images.gray(images, i))).reduce((a, b) -> a + "," + b).orElseThrow();
        Reply reply = http.json("?model=" + model, "{\"images\": [" + pixels + "]}");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return reply.body().get("predictions").valueStream().toList();
    }

    private static Path staging(String name, Duration age) {
        try {
            Path folder = Files.createDirectories(DATA_DIR.resolve("datasets").resolve(name));
            Files.write(folder.resolve("train-images-idx3-ubyte"), new byte[]{1, 2, 3});
            Files.setLastModifiedTime(folder, FileTime.from(Instant.now().minus(age)));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean succeeded(JsonNode job) {
        return job.get("state").asString().equals("SUCCEEDED");
    }

    private static List<String> sha256s(JsonNode dataset) {
        return dataset.get("files").valueStream().map(file -> file.get("sha256").asString()).toList();
    }

    private static List<Integer> counts(LabeledImages images) {
        int[] counts = new int[images.classes()];
        for (int i = 0; i < images.size(); i++) {
            counts[images.label(i)]++;
        }
        return Arrays.stream(counts).boxed().toList();
    }

    private static LabeledImages onlyLabelsBelow(int classes, LabeledImages images) {
        int[] kept = IntStream.range(0, images.size()).filter(i -> images.label(i) < classes).toArray();
        byte[] pixels = new byte[kept.length * 784];
        byte[] labels = new byte[kept.length];
        for (int k = 0; k < kept.length; k++) {
            System.arraycopy(images.pixels(), kept[k] * 784, pixels, k * 784, 784);
            labels[k] = images.labels()[kept[k]];
        }
        return new LabeledImages(pixels, labels, 28, 28, classes);
    }
}
