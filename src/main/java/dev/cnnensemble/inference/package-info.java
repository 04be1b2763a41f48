@NullMarked
package dev.cnnensemble.inference;

import org.jspecify.annotations.NullMarked;
