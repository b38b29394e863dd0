//! Tagging, lemmatization and dependency parsing: averaged-perceptron models trained on UD English EWT
