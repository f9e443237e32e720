package yingyan.supervision;

/** An alert's level: INFO (a reminder), YELLOW (黄牌), RED (红牌). */
public enum Level { INFO, YELLOW, RED }
