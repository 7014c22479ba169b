//! Proptest strategies (filled in next).
