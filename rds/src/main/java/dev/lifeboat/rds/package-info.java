/** Amazon RDS platform (AWS SDK v2) and the S3 export store. */
package dev.lifeboat.rds;
