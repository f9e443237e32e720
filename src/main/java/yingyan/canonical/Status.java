package yingyan.canonical;

/** Where the exercise of power stands. */
public enum Status { OPEN, COMPLETED, REJECTED, CANCELLED }
