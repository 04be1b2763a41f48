@NullMarked
package dev.cnnensemble.dataset;

import org.jspecify.annotations.NullMarked;
