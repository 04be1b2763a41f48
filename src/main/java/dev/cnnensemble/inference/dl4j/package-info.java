@NullMarked
package dev.cnnensemble.inference.dl4j;

import org.jspecify.annotations.NullMarked;
