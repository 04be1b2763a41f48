package dev.cnnensemble.dataset;

import java.time.Instant;

/** A dataset a user uploaded, and when. */
public record Upload(DatasetSpec spec, Instant createdAt) {
}
