// Package vensim reads system-dynamics models written in Vensim's text
// format (.mdl).
package vensim
