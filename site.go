// Package site embeds the site's settings and interface strings, so the Go
// functions read the very files Hugo reads: a fact is written once.
package site

import "embed"

// Files holds config.toml and i18n/*.toml.
//
//go:embed config.toml i18n
var Files embed.FS
