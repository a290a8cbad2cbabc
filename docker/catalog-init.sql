-- Lifeboat's catalog lives beside Temporal's databases on the same PostgreSQL server.
create user lifeboat with password 'lifeboat';
create database lifeboat owner lifeboat;
