// Package site embeds the site's settings and interface strings, so the Go
// functions read the very files Hugo reads: a fact is written once.
package site

import "embed"

// Files holds config.toml, i18n/*.toml and netlify.toml (response headers and routes).
//
//go:embed config.toml i18n netlify.toml
var Files embed.FS
