package yingyan.canonical;

public enum PartyType { PERSON, ORG }
