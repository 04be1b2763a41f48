// The tutorial's published test accuracy per epoch (epochs 1..15), as fractions like the API's.
const pcts = s => s.split(/\s+/).map(v => Number(v) / 100);

export const TUTORIAL = {
  single: {label: 'tutorial: single', values: pcts('98.75 99.15 99.11 99.26 99.11 99.24 99.30 99.26 99.35 99.26 99.37 99.33 99.22 99.24 99.31')},
  three: {label: 'tutorial: 3 members', values: pcts('99.05 99.26 99.36 99.35 99.42 99.41 99.48 99.37 99.41 99.46 99.51 99.47 99.52 99.49 99.49')},
  best: {label: 'tutorial: best (5 members)', values: pcts('99.24 99.60 99.63 99.65 99.55 99.65 99.68 99.69 99.64 99.64 99.71 99.67 99.65 99.62 99.67')},
};

/** The published curve that matches a job's config, or null. */
export function tutorialFor(config) {
  if (!config) return null;
  if (config.architecture === 'cnn-bn' && config.augmentation) return TUTORIAL.best;
  if (config.architecture === 'cnn' && config.ensembleSize === 3) return TUTORIAL.three;
  if (config.architecture === 'cnn' && config.ensembleSize === 1) return TUTORIAL.single;
  return null;
}
