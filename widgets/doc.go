// Package widgets holds KYC Desk's reusable Fyne widgets: the image intake zone, drop
// routing, result card, field form, NIK entry, status banner, call progress and the
// severity badges they share.
//
// The widgets know nothing about KYC beyond their own data and hold no domain rules;
// the one import from kycdesk/kyc is kyc/camera, a device package with no KYC in it,
// which CameraView previews. Every user-visible string is passed in by the
// app, which translates it; the English strings found here are only defaults.
//
// Threading (Fyne ≥ 2.6, built with -tags migrated_fynedo): every exported method and
// setter must be called on the UI goroutine — from a Fyne callback, or from a goroutine
// through fyne.Do. Callbacks the widgets invoke (OnFile, OnData, OnChanged, …) also run on
// the UI goroutine, so they must not do I/O, decoding or sleeps: start a goroutine and
// come back with fyne.Do. Where a widget itself waits (the clipboard image read, the
// progress ticker) it does so in its own goroutine and applies the result with fyne.Do.
package widgets

import "fyne.io/fyne/v2"

// Do applies a goroutine's result on the UI goroutine; it is fyne.Do. Widgets read it
// when they are built. Tests of packages that use these widgets may replace it with a
// queue their test goroutine drains, because fyne's test driver runs fyne.Do in the
// calling goroutine.
var Do = fyne.Do
