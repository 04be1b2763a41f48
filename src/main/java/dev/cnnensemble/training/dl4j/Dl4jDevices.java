package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.training.TrainingDevice;
import dev.cnnensemble.training.TrainingDevices;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.springframework.stereotype.Component;

/**
 * ND4J's devices. DL4J 1.0.0-M2.1's CUDA build carries machine code for compute capabilities 3.7 to
 * 8.x and no PTX, so a newer GPU (Hopper's 9.0 and later) has no kernels: such a GPU, or any on
 * which a small matrix product fails, is reported with its problem instead of crashing the service.
 */
@Component
class Dl4jDevices implements TrainingDevices {

    /** The oldest and newest compute capabilities DL4J M2.1's CUDA 11.6 build has machine code for. */
    static final double OLDEST = 3.7;
    static final int NEWEST_MAJOR = 8;

    @Override
    public List<TrainingDevice> probe() {
        if (Nd4j.getEnvironment().isCPU()) {
            return List.of(TrainingDevice.cpu(Runtime.getRuntime().availableProcessors()));
        }
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        List<TrainingDevice> devices = new ArrayList<>();
        for (int i = 0; i < Nd4j.getAffinityManager().getNumberOfDevices(); i++) {
            int major = ops.getDeviceMajor(i);
            int minor = ops.getDeviceMinor(i);
            String capability = major + "." + minor;
            String problem = supported(major, minor) ? trial(i) : "compute capability " + capability
                    + " has no kernels in DL4J 1.0.0-M2.1's CUDA build (" + OLDEST + " to " + NEWEST_MAJOR + ".x)";
            devices.add(new TrainingDevice(TrainingDevice.Kind.GPU, i, ops.getDeviceName(i), capability, problem));
        }
        return devices;
    }

    static boolean supported(int major, int minor) {
        return major <= NEWEST_MAJOR && major + minor / 10.0 >= OLDEST;
    }

    /** A small matrix product on the device: null when it works, else what went wrong. */
    private static String trial(int device) {
        Integer previous = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        try {
            Nd4j.getAffinityManager().unsafeSetDevice(device);
            INDArray a = Nd4j.ones(8, 8);
            double sum = a.mmul(a).sumNumber().doubleValue();
            return sum == 512 ? null : "a trial matrix product gave " + sum + " instead of 512";
        } catch (RuntimeException | LinkageError e) {
            return "a trial operation failed: " + e;
        } finally {
            Nd4j.getAffinityManager().unsafeSetDevice(previous);
        }
    }

    @Override
    public void bind(TrainingDevice device) {
        if (device.kind() == TrainingDevice.Kind.GPU) {
            Nd4j.getAffinityManager().unsafeSetDevice(device.index());
        }
    }
}
