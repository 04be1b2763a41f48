/**
 * Reading an uploaded dataset into memory, checked: the four IDX files (raw or gzipped) or a zip of
 * images in class folders. Pure: no storage, no web; what is wrong is a problem detail that names the
 * part or entry.
 */
@NullMarked
package dev.cnnensemble.dataset.upload;

import org.jspecify.annotations.NullMarked;
