package com.acme;

import java.sql.Connection;
import java.sql.DriverManager;

public final class Db {
    private static final String URL = "jdbc:postgresql://db.internal:5432/orders";
    private static final String USER = "orders";
    private static final String PASSWORD = "Cf21gfcHzG7FU1";
    private static final String PASSWORD_PROPERTY = "db.password";

    public static Connection open() throws Exception {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }
}
