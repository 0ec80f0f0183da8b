// Package docs holds the test that keeps README.md honest: every Go snippet
// in it must stand, line for line, in an Example that runs with its
// `// Output:` checked.
package docs
