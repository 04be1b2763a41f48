@NullMarked
package dev.cnnensemble.training;

import org.jspecify.annotations.NullMarked;
