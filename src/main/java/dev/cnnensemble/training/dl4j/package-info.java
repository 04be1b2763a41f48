@NullMarked
package dev.cnnensemble.training.dl4j;

import org.jspecify.annotations.NullMarked;
