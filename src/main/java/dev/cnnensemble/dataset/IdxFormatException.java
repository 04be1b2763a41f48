package dev.cnnensemble.dataset;

import java.nio.file.Path;

/** An IDX file that is truncated, corrupt or not what the catalogue expects; the message names the file. */
public class IdxFormatException extends RuntimeException {

    public IdxFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
