package dev.cnnensemble.jobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.relational.core.mapping.NamingStrategy;
import org.springframework.data.relational.core.mapping.RelationalPersistentEntity;
import org.springframework.data.relational.core.mapping.RelationalPersistentProperty;

/**
 * The job aggregate's table names. As derived names (not explicit ones, which Spring Data JDBC
 * quotes as written) they follow each database's case rules, so H2 and PostgreSQL both find them.
 */
@Configuration(proxyBeanMethods = false)
class JobTables {

    @Bean
    NamingStrategy namingStrategy() {
        return new NamingStrategy() {
            @Override
            public String getTableName(Class<?> type) {
                return type == Job.class ? "job_record" : NamingStrategy.super.getTableName(type);
            }

            @Override
            public String getReverseColumnName(RelationalPersistentEntity<?> owner) {
                return owner.getType() == Job.class ? "job_id" : NamingStrategy.super.getReverseColumnName(owner);
            }

            @Override
            public String getKeyColumn(RelationalPersistentProperty property) {
                return property.getOwner().getType() == Job.class ? "member" : NamingStrategy.super.getKeyColumn(property);
            }
        };
    }
}
