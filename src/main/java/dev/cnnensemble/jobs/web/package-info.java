@NullMarked
package dev.cnnensemble.jobs.web;

import org.jspecify.annotations.NullMarked;
