package dev.cnnensemble.dataset;

/** IDX data that is truncated, corrupt or not what was expected; the message names the file or part. */
public class IdxFormatException extends RuntimeException {

    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
