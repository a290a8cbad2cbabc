/** The RDS Query API on loopback, carried out on real local PostgreSQL clusters: tests and demos only. */
package dev.lifeboat.fakerds;
