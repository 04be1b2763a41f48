@NullMarked
package dev.cnnensemble.inference.web;

import org.jspecify.annotations.NullMarked;
