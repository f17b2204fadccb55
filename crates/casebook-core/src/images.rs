//! Image fixes.
