package com.vibecraft.pipeline; public class App { public static void main(String[] a){} }
