@NullMarked
package dev.cnnensemble.dataset.web;

import org.jspecify.annotations.NullMarked;
