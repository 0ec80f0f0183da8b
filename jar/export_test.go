package jar

// Bridge for the external tests: the fuzz targets check their invariants
// on canonical host names.
var CanonicalHost = canonicalHost
