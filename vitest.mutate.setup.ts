import fc from 'fast-check';

// Under `npm run mutate`, every property runs from one seed, so whether a mutant is killed does not depend on luck.
fc.configureGlobal({ seed: 20261202 });
