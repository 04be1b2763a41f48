/**
 * Images as the networks see them: decoding PNG, JPEG, GIF and BMP into luminance, and the
 * preprocessing to 28x28 white ink on black. Shared by predictions and dataset uploads, so both
 * prepare an image the same way.
 */
@NullMarked
package dev.cnnensemble.imaging;

import org.jspecify.annotations.NullMarked;
