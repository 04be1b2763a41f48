/** ONNX Runtime behind {@link dev.cnnensemble.inference.InferenceEngine}: the only package that uses it. */
@NullMarked
package dev.cnnensemble.inference.onnx;

import org.jspecify.annotations.NullMarked;
