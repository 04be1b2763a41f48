package dev.cnnensemble.inference;

import static dev.cnnensemble.model.InputShape.PIXELS;
import static dev.cnnensemble.model.InputShape.SIDE;

import dev.cnnensemble.imaging.GrayImage;
import dev.cnnensemble.imaging.ImageDecoder;
import dev.cnnensemble.imaging.ImagingExceptions.UndecodableImage;
import dev.cnnensemble.imaging.ImagingExceptions.UnprocessableImage;
import dev.cnnensemble.imaging.Preprocessing;
import dev.cnnensemble.imaging.Preprocessing.Invert;
import dev.cnnensemble.inference.ImageInput.Encoded;
import dev.cnnensemble.inference.ImageInput.Pixels;
import dev.cnnensemble.inference.InferenceExceptions.Overloaded;
import dev.cnnensemble.inference.InferenceExceptions.TooLarge;
import dev.cnnensemble.inference.Prediction.ImagePrediction;
import dev.cnnensemble.training.EnsembleMath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Service;
import org.jspecify.annotations.Nullable;

/**
 * Prediction from end to end: decode and preprocess on the caller's thread, queue the images with the
 * model's batcher, average the members' logits.
 */
@Service
public class Predictor {

    /** A model unloaded between lookup and submit is looked up again, this many times at most. */
    private static final int ATTEMPTS = 3;

    /**
     * @param model   the job id of the model to use, or null for the default
     * @param mnist   whether to apply MNIST's crop, scale and centring (any image size)
     * @param members whether to return each member's logits
     * @param pixels  whether to return the 28x28 image each prediction was made from
     */
    public record Options(Invert invert, boolean mnist, boolean members, boolean pixels, @Nullable String model) {
    }

    private final ModelRegistry registry;
    private final InferenceProperties properties;
    private final UncertaintyThresholds thresholds;
    private final ImageDecoder decoder;

    Predictor(ModelRegistry registry, InferenceProperties properties, UncertaintyThresholds thresholds) {
        this.registry = registry;
        this.properties = properties;
        this.thresholds = thresholds;
        this.decoder = new ImageDecoder(properties.maxImagePixels(), "cnn.inference.max-image-pixels");
    }

    public Prediction predict(List<? extends ImageInput> inputs, Options options) {
        if (inputs.isEmpty()) {
            throw new UndecodableImage("images", "is empty: send at least one image");
        }
        requireAtMostTheLimit(inputs.size());
        int count = inputs.size();
        float[] pixels = new float[count * PIXELS];
        boolean[] inverted = new boolean[count];
        for (int i = 0; i < count; i++) {
            Preprocessing.Prepared prepared = Preprocessing.prepare(decode(inputs.get(i), i, options.mnist()),
                    options.invert(), options.mnist(), name(inputs.get(i), i));
            System.arraycopy(prepared.pixels(), 0, pixels, i * PIXELS, PIXELS);
            inverted[i] = prepared.inverted();
        }
        Served served = serve(options.model(), pixels, count);
        return answer(served, thresholds.of(served.serving().model().id()).orElse(null), inputs, pixels, options.pixels(),
                inverted, options.members());
    }

    /**
     * The ensemble's outputs for images that are already the network's input, 28x28 in 0..1, white on
     * black (the Open Inference Protocol's tensors): the same numbers as {@link #predict}, without decoding.
     *
     * @param memberLogits {@code [image][member][class]}
     */
    public record Tensors(Prediction.ModelRef model, float[][] logits, float[][] probabilities, float[][][] memberLogits) {
    }

    public Tensors tensors(@Nullable String model, float[] pixels, int count) {
        requireAtMostTheLimit(count);
        Served served = serve(model, pixels, count);
        float[][][] byMember = served.memberLogits();
        float[][] averaged = EnsembleMath.averageLogits(Arrays.asList(byMember));
        float[][] probabilities = new float[count][];
        float[][][] byImage = new float[count][byMember.length][];
        for (int i = 0; i < count; i++) {
            probabilities[i] = EnsembleMath.softmax(averaged[i]);
            for (int m = 0; m < byMember.length; m++) {
                byImage[i][m] = byMember[m][i];
            }
        }
        return new Tensors(modelRef(served.serving()), averaged, probabilities, byImage);
    }

    /** The engine that runs the networks, as the Open Inference Protocol names platforms. */
    public String platform() {
        return properties.engine() == InferenceProperties.Engine.ONNX ? "onnxruntime_onnx" : "dl4j";
    }

    /** The version of the weights the named model, or the default, serves; loads it if need be. */
    public String version(@Nullable String model) {
        return registry.serving(model).version();
    }

    private void requireAtMostTheLimit(int images) {
        if (images > properties.maxImagesPerRequest()) {
            throw new TooLarge(images + " images in one request; at most " + properties.maxImagesPerRequest()
                    + " are allowed (cnn.inference.max-images-per-request)");
        }
    }

    /** A model as it answered: the weights it served, and each member's logits, {@code [member][image][class]}. */
    record Served(ModelCache.Serving serving, float[][][] memberLogits) {
    }

    /** Runs {@code count} rows of 784 pixels in 0..1 through the named model, or the default, with other requests' images. */
    Served serve(@Nullable String model, float[] pixels, int count) {
        for (int attempt = 1; ; attempt++) {
            ModelCache.Serving serving = registry.serving(model);
            CompletableFuture<float[][][]> pending;
            try {
                pending = serving.batcher().submit(pixels, count);
            } catch (MicroBatcher.Closed unloaded) {
                if (attempt == ATTEMPTS) {
                    throw new Overloaded("model " + serving.model().id() + " was unloaded " + ATTEMPTS
                            + " times while this request waited; raise cnn.inference.cache-max-bytes", properties.batching().retryAfter().toSeconds());
                }
                continue;
            }
            return new Served(serving, await(pending));
        }
    }

    private GrayImage decode(ImageInput input, int index, boolean anySize) {
        if (input instanceof Encoded encoded) {
            return decoder.decode(encoded.bytes(), name(input, index), anySize);
        }
        return fromNumbers(((Pixels) input).values(), name(input, index));
    }

    /** 0..1 is taken as is; anything above 1 means the image is in 0..255. */
    private static GrayImage fromNumbers(float[] values, String name) {
        if (values == null || values.length != PIXELS) {
            throw new UnprocessableImage(name + " has " + (values == null ? 0 : values.length) + " numbers; expected " + PIXELS
                    + " numbers row by row, or " + SIDE + " rows of " + SIDE + " (send a file with preprocess=mnist for other sizes)");
        }
        float max = 0;
        for (int p = 0; p < values.length; p++) {
            float v = values[p];
            if (!(v >= 0 && v <= 255)) {
                throw new UndecodableImage(name, "has " + v + " at position " + p + "; numbers must be within 0..1 or 0..255");
            }
            max = Math.max(max, v);
        }
        float[] pixels = values.clone();
        if (max > 1) {
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] /= 255f;
            }
        }
        return new GrayImage(SIDE, SIDE, pixels);
    }

    private static String name(ImageInput input, int index) {
        return input instanceof Encoded e && e.fileName() != null && !e.fileName().isBlank()
                ? "images[" + index + "] (" + e.fileName() + ")" : "images[" + index + "]";
    }

    private float[][][] await(CompletableFuture<float[][][]> pending) {
        try {
            return pending.get(properties.batching().timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | CancellationException e) {
            pending.cancel(false);
            throw new Overloaded("no result within " + properties.batching().timeout().toSeconds()
                    + " s: the model is busy; retry shortly", properties.batching().retryAfter().toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(false);
            throw new Overloaded("the request was interrupted, the service is shutting down", properties.batching().retryAfter().toSeconds());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static Prediction answer(Served served, UncertaintyThresholds.@Nullable Limits limits, List<? extends ImageInput> inputs,
                                     float[] pixels, boolean withPixels, boolean[] inverted, boolean withMembers) {
        ModelCache.Serving serving = served.serving();
        float[][][] memberLogits = served.memberLogits();
        ModelDescriptor model = serving.model();
        float[][] averaged = EnsembleMath.averageLogits(Arrays.asList(memberLogits));
        List<ImagePrediction> predictions = new ArrayList<>(averaged.length);
        for (int i = 0; i < averaged.length; i++) {
            float[][] members = null;
            if (withMembers) {
                members = new float[memberLogits.length][];
                for (int m = 0; m < memberLogits.length; m++) {
                    members[m] = memberLogits[m][i];
                }
            }
            String source = inputs.get(i) instanceof Encoded e ? e.fileName() : null;
            int label = EnsembleMath.argMax(averaged[i]);
            float[] probabilities = EnsembleMath.softmax(averaged[i]);
            double entropy = EnsembleMath.entropy(probabilities);
            double inkCoverage = InkCoverage.of(pixels, i, PIXELS);
            predictions.add(new ImagePrediction(i, source, label, model.classNames().get(label), probabilities, averaged[i], members,
                    EnsembleMath.agreement(memberLogits, i, label), entropy, inkCoverage,
                    limits == null ? null : limits.exceededBy(entropy, inkCoverage), inverted[i], withPixels ? rows(pixels, i) : null));
        }
        return new Prediction(modelRef(serving), predictions);
    }

    private static Prediction.ModelRef modelRef(ModelCache.Serving serving) {
        ModelDescriptor model = serving.model();
        return new Prediction.ModelRef(model.id(), serving.version(), model.architecture().id(), model.dataset(), model.ensembleSize(),
                serving.epoch());
    }

    /** Image {@code index} of a batch as 28 rows of 28 values. */
    private static float[][] rows(float[] pixels, int index) {
        float[][] rows = new float[SIDE][];
        for (int r = 0; r < SIDE; r++) {
            int from = index * PIXELS + r * SIDE;
            rows[r] = Arrays.copyOfRange(pixels, from, from + SIDE);
        }
        return rows;
    }
}
